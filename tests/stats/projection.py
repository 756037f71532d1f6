#!/usr/bin/env python3
"""Reference values of the projection for tests/unit/test_project.c,
computed independently of grouprev (Python standard library only):

    python3 tests/stats/projection.py > tests/stats/projection.out

The payers are the test rate table tests/e2e/cases/check_group_size/rt
(written out here): MCR pays 28.14 (office; low 26.92, high 32.77) for
groups of 2 to 4; MCD 24.31 (15.20 / 30.39) for 3 or more and sessions of
60 minutes or more; COM 41.88 for 2 or more.

The model (docs/projection.md): each planned member keeps one payer for
the period, drawn from the mix; before each session after the first a
member still enrolled leaves with probability `dropout`; each enrolled
member attends with the attendance rate a (fixed, or a ~ Beta with the
plan's mean and sd, drawn once per run); a payer pays its attendees when
the session's size k passes its rules; a paid line is denied with
p(k) = logistic(b0 + b1 k), (b0, b1) fixed or drawn once per run from a
bivariate normal.

Methods here, on purpose different from grouprev's: the mean by direct
summation over the number present at each session (math.comb), the
Beta average by composite Simpson on 20,000 intervals, normal averages
by Simpson over +-12 sd, the variance of case 3 from the law of total
variance, case 4's in closed form.
"""
import math

PAYERS = {
    "MCR": dict(exp=28.14, low=26.92, high=32.77, min_group=2, max_group=4, min_minutes=0),
    "MCD": dict(exp=24.31, low=15.20, high=30.39, min_group=3, max_group=None, min_minutes=60),
    "COM": dict(exp=41.88, low=31.69, high=53.58, min_group=2, max_group=None, min_minutes=0),
}


def pays(payer, k, minutes):
    p = PAYERS[payer]
    if k < p["min_group"] or (p["max_group"] and k > p["max_group"]):
        return False
    if p["min_minutes"] and minutes and minutes < p["min_minutes"]:
        return False
    return True


def amount(payer, rng):
    p = PAYERS[payer]
    return (p["low"] + p["exp"] + p["high"]) / 3 if rng else p["exp"]


def logistic(x):
    return 1 / (1 + math.exp(-x))


def binom(k, n, q):
    return math.comb(n, k) * q ** k * (1 - q) ** (n - k)


def simpson(f, a, b, n=20000):
    h = (b - a) / n
    s = f(a) + f(b)
    for i in range(1, n):
        s += (4 if i % 2 else 2) * f(a + i * h)
    return s * h / 3


def normal_mean(f, m, v):
    """E f(X), X ~ N(m, v)."""
    if v == 0:
        return f(m)
    sd = math.sqrt(v)
    dens = lambda x: math.exp(-(x - m) ** 2 / (2 * v)) / math.sqrt(2 * math.pi * v)
    return simpson(lambda x: f(x) * dens(x), m - 12 * sd, m + 12 * sd, 4000)


def period_mean(sessions, n, att, mix, minutes, b0, b1, cov=None, dropout=0.0,
                att_sd=0.0, rng=False):
    def ep(k):  # E p(k) over the parameters
        if b0 is None:
            return 0.0
        eta = b0 + b1 * k
        if cov is None:
            return logistic(eta)
        v = cov[0] + 2 * k * cov[1] + k * k * cov[2]
        return normal_mean(logistic, eta, v)

    W = [0.0] * (n + 1)
    for k in range(1, n + 1):
        per = sum(share * amount(p, rng) for p, share in mix if pays(p, k, minutes))
        W[k] = k * (1 - ep(k)) * per

    def at(a):
        return sum(sum(binom(k, n, a * (1 - dropout) ** s) * W[k] for k in range(1, n + 1))
                   for s in range(sessions))

    if att_sd == 0:
        return at(att)
    c = att * (1 - att) / att_sd ** 2 - 1
    al, be = att * c, (1 - att) * c
    lb = math.lgamma(al) + math.lgamma(be) - math.lgamma(al + be)
    dens = lambda x: 0.0 if x <= 0 or x >= 1 else math.exp((al - 1) * math.log(x) + (be - 1) * math.log(1 - x) - lb)
    return simpson(lambda x: dens(x) * at(x), 0.0, 1.0)


MIX = [("MCR", 0.5), ("MCD", 0.5)]
# Case 1: 10 sessions, 6 enrolled at 0.7, dropout 0.05, MCR/MCD half each,
# 60 minutes, logit p = -2 + 0.2 k.
for rng in (False, True):
    print("case1 range %d mean %.12f" % (rng, period_mean(10, 6, 0.7, MIX, 60, -2.0, 0.2, dropout=0.05, rng=rng)))
# Case 2: as case 1 with the attendance rate uncertain (sd 0.1: Beta(14, 6)).
print("case2 mean %.12f" % period_mean(10, 6, 0.7, MIX, 60, -2.0, 0.2, dropout=0.05, att_sd=0.1))
print("case2 fixed_att mean %.12f" % period_mean(10, 6, 0.7, MIX, 60, -2.0, 0.2, dropout=0.05))

# Case 3: parameter uncertainty.  20 sessions, 5 enrolled who always come,
# COM only (41.88, no cap): 100 lines a period, X of them denied,
# X | p ~ Binomial(100, p), p = logistic(eta), eta = b0 + 5 b1.
# b0 = -1.5, b1 = 0.1, cov (0.3, -0.01, 0.004): eta ~ N(-1, 0.3).
# Var R = 41.88^2 (100 E[p(1-p)] + 100^2 Var p)   (law of total variance)
a, N = 41.88, 100
eta, v = -1.5 + 5 * 0.1, 0.3 - 2 * 5 * 0.01 + 25 * 0.004
Ep = normal_mean(logistic, eta, v)
Ep2 = normal_mean(lambda x: logistic(x) ** 2, eta, v)
sd_drawn = a * math.sqrt(N * (Ep - Ep2) + N * N * (Ep2 - Ep * Ep))
p0 = logistic(eta)
sd_fixed = a * math.sqrt(N * p0 * (1 - p0))
print("case3 eta %.12f var %.12f" % (eta, v))
print("case3 fixed mean %.12f sd %.12f" % (a * N * (1 - p0), sd_fixed))
print("case3 drawn mean %.12f sd %.12f widening %.12f" % (a * N * (1 - Ep), sd_drawn, sd_drawn - sd_fixed))
# The same mean through the general formula (a check of this script).
assert abs(period_mean(20, 5, 1.0, [("COM", 1.0)], 60, -1.5, 0.1, cov=(0.3, -0.01, 0.004)) - a * N * (1 - Ep)) < 1e-6

# Case 4: a member keeps a payer.  10 sessions, 2 enrolled who always
# come, MCR 28.14 or COM 41.88 at half each, no denials: a period earns
# 10 x (the two members' amounts).  Fixed payers: Var = 10^2 x 2 x
# ((41.88 - 28.14) / 2)^2; redrawn each session it would be 10 x 2 x the same.
half = (41.88 - 28.14) / 2
print("case4 mean %.12f sd_fixed %.12f sd_redrawn %.12f" % (10 * 2 * (28.14 + 41.88) / 2,
                                                           10 * math.sqrt(2) * half,
                                                           math.sqrt(10 * 2) * half))
