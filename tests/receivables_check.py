#!/usr/bin/env python3
"""Recompute aging.csv, kpi.csv and scorecard.csv from the inputs, apart
from grouprev's C code, and compare: an independent check of
docs/receivables.md's definitions on a whole practice (the demo).

    tests/receivables_check.py ATTENDANCE.csv OUTDIR [AS_OF] [--remit]

(AS_OF: the --as-of the report was run with; by default the latest date
of the lines, worked out here.  --remit: the report was run with --remit;
the 835s' service lines are read from OUTDIR/remit.csv, and the outcome
that stands for each attendance line is chosen here, apart from
src/billing/match.c: the primary adjudication with the latest payment
date (reading order breaks ties), its add-on lines added, secondary
payments added to paid, reversals left out; then its payment date, PR,
CO (of paid lines) and allowed amount replace the attendance file's.)

Only the csv module: money is parsed into integer cents by hand, dates
into day numbers with the Gregorian calendar below.  Prices come from
OUTDIR/claims.csv (grouprev's pricing, tested elsewhere) and the
receivables columns from ATTENDANCE.csv, joined on the physical line.
Every line of the files is read; the quarter, the as-of date and every
figure are worked out here.  Exit 0 when every figure agrees, else 1 with
the differences.
"""
import csv
import math
import sys


def days(s):
    """YYYY-MM-DD or MM/DD/YYYY -> days since 1970-01-01."""
    if "/" in s:
        m, d, y = (int(x) for x in s.split("/"))
    else:
        y, m, d = (int(x) for x in s.split("-"))
    # Days from civil (Gregorian), counted from 0000-03-01.
    y -= m <= 2
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def date_str(n):
    z = n + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + (3 if mp < 10 else -9)
    return "%04d-%02d-%02d" % (y + (m <= 2), m, d)


def cents(s):
    s = s.replace("$", "").replace(",", "")
    neg = s.startswith("-")
    s = s.lstrip("-")
    whole, _, frac = s.partition(".")
    c = int(whole or "0") * 100 + int((frac + "00")[:2])
    return -c if neg else c


def quarter(n):
    y, m = int(date_str(n)[:4]), int(date_str(n)[5:7])
    return y * 4 + (m - 1) // 3


def qname(q):
    return "%dQ%d" % (q // 4, q % 4 + 1)


def median(v):
    v = sorted(v)
    n = len(v)
    if not n:
        return None
    return float(v[n // 2]) if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2.0


def wilson(d, n):
    z = 1.959963984540054
    p = d / n
    den = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / den
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    return (0.0 if d == 0 else centre - half, 1.0 if d == n else centre + half)


def fmt(v, dec):
    return "" if v is None else "%.*f" % (dec, v)


def money(c):
    return "%s%d.%02d" % ("-" if c < 0 else "", abs(c) // 100, abs(c) % 100)


def div_round(a, b):
    return (a + b // 2) // b


SECONDARY = ("2", "3", "20", "21")


def standing_outcomes(out):
    """{attendance line: outcome dict} from OUTDIR/remit.csv."""
    rows = []
    with open(out + "/remit.csv", newline="") as f:
        for i, r in enumerate(csv.DictReader(f)):
            if not r["match"].isdigit() or r["claim_status"] == "22":
                continue  # unmatched, a reversal, a reversed line, other code
            r["i"] = i
            r["att"] = int(r["match"])
            r["day"] = days(r["payment_date"])
            rows.append(r)
    # An add-on row joins the 90853 row before it in the same claim.
    parent, last = {}, {}
    for r in rows:
        key = (r["file"], r["claim_id"], r["check"])
        if r["code"] == "90853":
            last[key] = r["i"]
        else:
            parent[r["i"]] = last.get(key)
    prim, sec, first = {}, {}, {}
    for r in rows:
        if r["code"] != "90853":
            continue
        slot = sec if r["claim_status"] in SECONDARY else prim
        w = slot.get(r["att"])
        if w is None or (r["day"], r["i"]) > (w["day"], w["i"]):
            slot[r["att"]] = r
        if slot is prim:
            e = first.get(r["att"])
            if e is None or (r["day"], r["i"]) < (e["day"], e["i"]):
                first[r["att"]] = r
    res = {}
    for att in set(prim) | set(sec):
        w = prim.get(att) or sec[att]
        o = {k: cents(w[k]) for k in ("charge", "allowed", "paid", "patient_resp",
                                       "contractual")}
        o["status"], o["day"] = w["status"], w["day"]
        o["first_denied"] = (first.get(att) or w)["status"] == "denied"
        for r in rows:
            if r["att"] != att or r is w:
                continue
            if r["code"] != "90853" and parent.get(r["i"]) == w["i"]:
                for k in ("charge", "allowed", "paid", "patient_resp", "contractual"):
                    o[k] += cents(r[k])
            elif r["code"] == "90853" and r["claim_status"] in SECONDARY and w is prim.get(att):
                o["paid"] += cents(r["paid"])
            else:
                continue
            o["day"] = max(o["day"], r["day"])
        if att in prim and att in sec:
            s = sec[att]
            o["patient_resp"] = cents(s["patient_resp"]) + sum(
                cents(r["patient_resp"]) for r in rows if parent.get(r["i"]) == s["i"])
        res[att] = o
    return res


def main(att_path, out, as_of_arg=None, remit=False):
    outcomes = standing_outcomes(out) if remit else {}
    # Attended lines as grouprev priced them, by physical line.
    claims = {}
    with open(out + "/claims.csv", newline="") as f:
        for row in csv.DictReader(f):
            claims[int(row["line"])] = row
    lines = []
    with open(att_path, newline="") as f:
        rd = csv.reader(f)
        header = [h.strip().lower() for h in next(rd)]
        col = {h: i for i, h in enumerate(header)}
        for row in rd:
            n = rd.line_num
            if n not in claims:
                continue  # absent, or rejected (rejects.csv)
            c = claims[n]
            get = lambda k: row[col[k]] if k in col else ""
            ln = {
                "payer": c["payer_id"],
                "dos": days(c["date"]),
                "priced": c["expected"] != "",
                "expected": cents(c["expected"]) if c["expected"] else 0,
                "status": c["status"],
                "paid": cents(c["paid"]) if c["paid"] else 0,
                "clean": c["issues"] == "",
                "addon": get("addon"),
            }
            ln["charge"] = cents(get("charge")) if get("charge") else (
                ln["expected"] if ln["priced"] else None)
            if "billed" in col:
                # Empty: not billed yet, unless the payer paid or denied it
                # (then billed, on its date of service for want of the day).
                ln["billed_given"] = get("billed") != ""
                ln["billed"] = days(get("billed")) if get("billed") else (
                    ln["dos"] if ln["status"] in ("paid", "denied") else None)
            else:
                ln["billed"], ln["billed_given"] = ln["dos"], False
            ln["posted"] = days(get("paid_date")) if get("paid_date") else None
            ln["patient_known"] = "patient_paid" in col
            ln["patient_paid"] = cents(get("patient_paid")) if get("patient_paid") else 0
            ln["resp"] = max(0, ln["expected"] - ln["paid"]) if (
                ln["status"] == "paid" and ln["priced"]) else 0
            ln["contractual"] = 0
            ln["first_denied"] = ln["status"] == "denied"
            ln["allowed"] = ln["paid"] + ln["resp"]
            o = outcomes.get(n)
            if o:
                # The payer's words: claims.csv already shows the 835's
                # status and paid (checked against o here).
                assert ln["paid"] == o["paid"], "line %d paid" % n
                ln["posted"] = o["day"]
                ln["resp"] = o["patient_resp"] if ln["status"] == "paid" else 0
                ln["contractual"] = o["contractual"] if ln["status"] == "paid" else 0
                ln["first_denied"] = o["first_denied"]
                ln["allowed"] = o["allowed"] if ln["status"] == "paid" else ln["resp"]
                if "charge" not in col:
                    ln["charge"] = o["charge"]
            lines.append(ln)
    assert len(lines) == len(claims), "every attended line joined"

    as_of = max(max(l["dos"], l["billed"] or 0, l["posted"] or 0) for l in lines)
    if as_of_arg:
        as_of = days(as_of_arg)
    focus = max(quarter(l["dos"]) for l in lines)

    def state(l, a):
        if l["dos"] > a or l["billed"] is None or l["billed"] > a:
            return "not yet"
        if l["status"] in ("paid", "denied") and (l["posted"] is None or l["posted"] <= a):
            return l["status"]
        return "open"

    def bucket(age):
        return 0 if age <= 30 else 1 if age <= 60 else 2 if age <= 90 else 3 if age <= 120 else 4

    def owed(l, a):
        """(kind, cents) the line adds to the aging on A, or None."""
        st = state(l, a)
        if st == "open":
            return ("payer", l["expected"]) if l["priced"] else None
        if st == "denied":
            return ("denied_open", l["expected"]) if l["priced"] else None
        if st == "paid" and l["patient_known"] and l["resp"] > l["patient_paid"]:
            return ("patient", l["resp"] - l["patient_paid"])
        return None

    problems = []

    def same(what, got, want):
        if got != want:
            problems.append("%s: grouprev %r, recomputed %r" % (what, got, want))

    # aging.csv
    aging = {}
    for l in lines:
        o = owed(l, as_of)
        if o:
            key = (o[0], "" if o[0] == "patient" else l["payer"])
            aging.setdefault(key, [0] * 5)[bucket(as_of - l["dos"])] += o[1]
    got = {}
    with open(out + "/aging.csv", newline="") as f:
        for row in csv.DictReader(f):
            b = [cents(row[k]) for k in ("0-30", "31-60", "61-90", "91-120", "121+")]
            same("aging %s %s total = its buckets" % (row["kind"], row["payer_id"]),
                 cents(row["total"]), sum(b))
            same("aging as_of", row["as_of"], date_str(as_of))
            got[(row["kind"], row["payer_id"])] = b
    same("aging rows", sorted(got), sorted(aging))
    for k in aging:
        same("aging %s %s" % k, got.get(k), aging[k])
    balance = sum(sum(v) for k, v in aging.items() if k[0] != "denied_open")

    # kpi.csv
    def kpis(q, a):
        k = {}
        bal = sum(o[1] for o in (owed(l, a) for l in lines if l["dos"] <= a)
                  if o and o[0] != "denied_open")
        over = sum(o[1] for l in lines if l["dos"] <= a and a - l["dos"] > 90
                   for o in [owed(l, a)] if o and o[0] != "denied_open")
        ch90 = sum(l["charge"] for l in lines
                   if l["charge"] is not None and l["dos"] <= a and a - l["dos"] < 90)
        ql = [l for l in lines if quarter(l["dos"]) == q and l["dos"] <= a]
        billed = [l for l in ql if state(l, a) != "not yet"]
        adj = [l for l in billed if state(l, a) in ("paid", "denied")]
        recv = sum(l["paid"] + l["patient_paid"] for l in adj if l["charge"] is not None)
        paidl = [l for l in adj if state(l, a) == "paid" and l["posted"] is not None]
        k["days_in_ar"] = (fmt(bal / (ch90 / 90.0), 1) if ch90 else "", money(bal), money(ch90))
        den = sum(l["charge"] - l["contractual"] for l in adj if l["charge"] is not None)
        k["net_collection_rate"] = (fmt(recv / den, 4) if den else "", money(recv), money(den))
        den = sum(l["charge"] for l in billed if l["charge"] is not None)
        k["gross_collection_rate"] = (fmt(recv / den, 4) if den else "", money(recv), money(den))
        nd = sum(1 for l in adj if l["first_denied"])
        k["first_pass_denial_rate"] = (fmt(nd / len(adj), 4) if adj else "", str(nd), str(len(adj)))
        nc = sum(1 for l in billed if l["clean"])
        k["clean_claim_rate"] = (fmt(nc / len(billed), 4) if billed else "", str(nc), str(len(billed)))
        k["ar_over_90"] = (fmt(over / bal, 4) if bal else "", money(over), money(bal))
        k["median_days_to_pay"] = (fmt(median([l["posted"] - l["dos"] for l in paidl]), 1),
                                   "", str(len(paidl)))
        pb = [l["posted"] - l["billed"] for l in paidl if l["billed_given"]]
        k["median_days_billed_to_pay"] = (fmt(median(pb), 1), "", str(len(pb)))
        return k, bal

    cur, cur_bal = kpis(focus, as_of)
    y, qq = (focus) // 4, focus % 4
    prev_as_of = min(as_of, days("%04d-%02d-01" % (y, qq * 3 + 1)) - 1)
    prev, _ = kpis(focus - 1, prev_as_of)
    same("aging balance = days_in_ar numerator", money(balance), cur["days_in_ar"][1])
    with open(out + "/kpi.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    same("kpi names", [r["kpi"] for r in rows], list(cur))
    for r in rows:
        want = cur[r["kpi"]]
        same("kpi %s" % r["kpi"], (r["value"], r["numerator"], r["denominator"]), want)
        same("kpi %s previous" % r["kpi"], r["previous_value"], prev[r["kpi"]][0])
        same("kpi %s quarter" % r["kpi"], (r["quarter"], r["as_of"], r["previous_as_of"]),
             (qname(focus), date_str(as_of), date_str(prev_as_of)))

    # scorecard.csv, the payer rows and the payer x code rows
    def score(group):
        s = {}
        for l in lines:
            st = state(l, as_of)
            if st == "not yet":
                continue
            x = s.setdefault(group(l), {"lines": 0, "priced": 0, "adj": 0, "den": 0, "exp": 0,
                                        "aexp": 0, "paid": 0, "resp": 0, "pp": 0, "allowed": 0,
                                        "delays": []})
            x["lines"] += 1
            if not l["priced"]:
                continue
            x["priced"] += 1
            x["exp"] += l["expected"]
            if st == "open":
                continue
            x["adj"] += 1
            x["aexp"] += l["expected"]
            x["paid"] += l["paid"]
            x["pp"] += l["patient_paid"]
            if st == "denied":
                x["den"] += 1
                continue
            x["resp"] += l["resp"]
            x["allowed"] += l["allowed"]
            if l["posted"] is not None:
                x["delays"].append(l["posted"] - l["dos"])
        out_rows = {}
        for key, x in s.items():
            lo, hi = wilson(x["den"], x["adj"]) if x["adj"] else (None, None)
            out_rows[key] = [
                str(x["lines"]), str(x["priced"]), str(x["adj"]), str(x["den"]),
                money(div_round(x["exp"], x["priced"])) if x["priced"] else "",
                money(div_round(x["allowed"], x["adj"])) if x["adj"] else "",
                money(div_round(x["paid"], x["adj"])) if x["adj"] else "",
                fmt(x["resp"] / x["allowed"], 4) if x["allowed"] > 0 else "",
                fmt(x["den"] / x["adj"], 4) if x["adj"] else "",
                fmt(lo, 4), fmt(hi, 4), fmt(median(x["delays"]), 1),
                fmt((x["paid"] + x["pp"]) / x["aexp"], 4) if x["aexp"] > 0 else "",
            ]
        return out_rows

    want = {("payer", k, ""): v for k, v in score(lambda l: l["payer"]).items()}
    for (p, a), v in score(lambda l: (l["payer"], l["addon"])).items():
        want[("payer_code", p, "90853" + ("+" + a if a else ""))] = v
    got = {}
    ranks = {"payer": [], "payer_code": []}
    with open(out + "/scorecard.csv", newline="") as f:
        for r in csv.DictReader(f):
            keys = ("lines", "priced", "adjudicated", "denied", "mean_expected",
                    "mean_allowed", "mean_paid", "patient_share", "denial_rate",
                    "denial_lo", "denial_hi", "median_days_to_pay", "share_received")
            got[(r["kind"], r["payer_id"], r["code"])] = [r[k] for k in keys]
            ranks[r["kind"]].append((int(r["rank"]), r["mean_paid"]))
    same("scorecard rows", sorted(got), sorted(want))
    for k in want:
        same("scorecard %s %s %s" % k, got.get(k), want[k])
    for kind, rk in ranks.items():
        same("%s ranks" % kind, [r for r, _ in rk], list(range(1, len(rk) + 1)))
        paid = [float(m) if m else -1.0 for _, m in rk]
        same("%s ranked by mean paid" % kind, paid, sorted(paid, reverse=True))

    for p in problems:
        print("FAIL receivables_check: " + p)
    print("receivables_check: %d attended lines, as of %s, %s outstanding: %s" % (
        len(lines), date_str(as_of), money(balance),
        "every figure agrees" if not problems else "%d differences" % len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--remit"]
    sys.exit(main(*args[:3], remit="--remit" in sys.argv[1:]))
