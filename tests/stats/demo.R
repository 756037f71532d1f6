# Reference values of the size analysis on the demo practice, computed in
# R independently of grouprev's statistics, for tests/unit/test_stats.c
# and tests/unit/test_covariates.c (asserted to 1e-6):
#   ./grouprev report samples/attendance.csv --out /tmp/demo
#   Rscript tests/stats/demo.R /tmp/demo/claims.csv > tests/stats/demo.out
#
# From grouprev it takes only the line facts of claims.csv (the session's
# attended size, the payer, the priced expected amount, the status), which
# the end-to-end goldens check; everything else is R's: which lines a
# session rule predicts denied (from payers.csv and attendance.csv), the
# bins, glm, the lack-of-fit test, Wilson intervals, the payer-capped
# optimum, the ties and the multi-covariate model.
options(digits = 12, width = 200)
args <- commandArgs(trailingOnly = TRUE)
claims <- if (length(args)) args[1] else "/tmp/demo/claims.csv"
cl <- read.csv(claims, stringsAsFactors = FALSE, colClasses = "character")
att <- read.csv("samples/attendance.csv", stringsAsFactors = FALSE, fill = TRUE,
                colClasses = "character")
att$line <- as.character(seq_len(nrow(att)) + 1)
pay <- read.csv("rate-tables/payers.csv", stringsAsFactors = FALSE, colClasses = "character")
m <- merge(cl, att[, c("line", "session_id", "modality", "minutes", "pos")], by = "line")
stopifnot(all(m$session_id.x == m$session_id.y))
adj <- m[m$status %in% c("paid", "denied"), ]
adj$size <- as.integer(adj$group_size)
adj$den <- adj$status == "denied"
pi <- match(adj$payer_id, pay$payer_id)
known <- !is.na(pi)
num <- function(x) ifelse(is.na(x) | x == "", NA, as.numeric(x))
minutes <- num(adj$minutes); pos <- num(adj$pos)
tele <- adj$modality == "telehealth" | (adj$modality == "" & pos %in% c(2, 10))
audio <- adj$modality == "audio_only"
# The session rules (docs/rules.md): size outside min_group..max_group,
# minutes below min_minutes, a modality the payer marks "none".
rule <- known & (adj$size < num(pay$min_group[pi]) |
                 adj$size > num(pay$max_group[pi]) |
                 (!is.na(minutes) & !is.na(num(pay$min_minutes[pi])) & minutes < num(pay$min_minutes[pi])) |
                 (tele & tolower(pay$telehealth_modifier[pi]) == "none") |
                 (audio & tolower(pay$audio_only_modifier[pi]) == "none"))
rule[is.na(rule)] <- FALSE
cat(sprintf("lines adjudicated %d denied %d session_rule %d rule_denied %d\n",
            nrow(adj), sum(adj$den), sum(rule), sum(adj$den & rule)))

# Bins: every adjudicated line; the model's are those without a session rule.
sizes <- sort(unique(adj$size))
f <- factor(adj$size, levels = sizes)
bins <- data.frame(size = sizes,
  sessions = as.vector(tapply(adj$session_id.x, f, function(s) length(unique(s)))),
  all_n = as.vector(table(f)), all_d = as.vector(tapply(adj$den, f, sum)),
  n = as.vector(tapply(!rule, f, sum)), d = as.vector(tapply(adj$den & !rule, f, sum)))
for (i in seq_len(nrow(bins)))
  with(bins[i, ], cat(sprintf("bin %d sessions %d all %d %d model %d %d\n", size, sessions, all_n, all_d, n, d)))

# The straight-line model on the model's bins, its covariance at the
# estimate, lack of fit against size as a factor, Pearson residuals.
b <- bins[bins$n > 0, ]
g <- glm(cbind(d, n - d) ~ size, family = binomial, data = b,
         control = glm.control(epsilon = 1e-14, maxit = 100))
X <- cbind(1, b$size); mu <- fitted(g); V <- solve(t(X) %*% (b$n * mu * (1 - mu) * X))
cat(sprintf("fit b0 %.12g b1 %.12g se0 %.12g se1 %.12g cov01 %.12g\n", coef(g)[1], coef(g)[2],
            sqrt(V[1, 1]), sqrt(V[2, 2]), V[1, 2]))
sat <- glm(cbind(d, n - d) ~ factor(size), family = binomial, data = b)
lr <- anova(g, sat, test = "Chisq")
cat(sprintf("lof deviance %.12g df %d p %.12g (saturated deviance %.3g)\n", lr$Deviance[2], lr$Df[2],
            lr[["Pr(>Chi)"]][2], deviance(sat)))
cat(sprintf("null %.12g\n", g$null.deviance))
pr <- residuals(g, type = "pearson")
eta <- X %*% coef(g); se <- sqrt(rowSums((X %*% V) * X)); z <- qnorm(0.975)
for (i in seq_len(nrow(b)))
  cat(sprintf("size %d pearson %.12g fitted %.12g lo %.12g hi %.12g\n", b$size[i], pr[i],
              plogis(eta[i]), plogis(eta[i] - z * se[i]), plogis(eta[i] + z * se[i])))

# The payer mix: known payers' shares of the priced adjudicated lines and
# their mean expected amount.
pr_l <- adj[known & adj$expected != "", ]
mix <- table(pr_l$payer_id) / nrow(pr_l)
rate <- tapply(as.numeric(pr_l$expected) * 100, pr_l$payer_id, mean)
for (j in names(mix)) cat(sprintf("mix %s share %.12g rate %.12g\n", j, mix[[j]], rate[[j]]))

# The optimum with payer caps, from the observed rates (the straight
# line is rejected above) and their Wilson intervals.
wilson <- function(d, n, z = qnorm(0.975)) {
  p <- d / n; c0 <- (p + z^2 / (2 * n)) / (1 + z^2 / n)
  h <- z * sqrt(p * (1 - p) / n + z^2 / (4 * n^2)) / (1 + z^2 / n)
  cbind(ifelse(d == 0, 0, c0 - h), ifelse(d == n, 1, c0 + h))
}
pays <- function(j, k) k >= as.numeric(pay$min_group[pay$payer_id == j]) & k <= as.numeric(pay$max_group[pay$payer_id == j])
R <- sapply(bins$size, function(k) sum(sapply(names(mix), function(j) if (pays(j, k)) mix[[j]] * rate[[j]] else 0)))
w <- wilson(bins$d, bins$n)
opt <- data.frame(size = bins$size, rate = R, p = bins$d / bins$n,
                  per = bins$size * R * (1 - bins$d / bins$n),
                  lo = bins$size * R * (1 - w[, 2]), hi = bins$size * R * (1 - w[, 1]),
                  enough = bins$sessions >= 5 & bins$n >= 30)
opt$per[R == 0] <- 0; opt$lo[R == 0] <- 0; opt$hi[R == 0] <- 0
for (i in seq_len(nrow(opt)))
  with(opt[i, ], cat(sprintf("opt %d rate %.12g per %.12g lo %.12g hi %.12g enough %d\n", size, rate, per, lo, hi, enough)))
e <- opt[opt$enough & opt$per > 0, ]
best <- e[which.max(e$per), ]
tied <- e$size[e$hi >= best$lo & e$size != best$size]
cat(sprintf("best %d tied %s\n", best$size, paste(tied, collapse = " ")))
pb <- best$p
capcost <- sum(sapply(names(mix), function(j) if (!pays(j, best$size)) best$size * mix[[j]] * rate[[j]] * (1 - pb) else 0))
allpay <- e[sapply(e$size, function(k) all(sapply(names(mix), function(j) pays(j, k)))), ]
cat(sprintf("cap_cost %.12g all_pay %d per %.12g\n", capcost, allpay$size[which.max(allpay$per)], max(allpay$per)))

# The multi-covariate model on every adjudicated line of a known payer:
# size, over this payer's cap, payer class, modality and program, each
# factor's reference level its most frequent (ties: the first in
# alphabetical order).
k <- adj[known, ]
k$over <- as.integer(k$size > as.numeric(pay$max_group[match(k$payer_id, pay$payer_id)]))
k$cls <- pay$class[match(k$payer_id, pay$payer_id)]
k$mod <- ifelse(k$modality == "", "unknown", k$modality)
rl <- function(x) relevel(factor(x), ref = names(which.max(table(x))))
mm <- glm(den ~ size + over + rl(cls) + rl(mod) + rl(group_id), family = binomial, data = k,
          control = glm.control(epsilon = 1e-14, maxit = 100))
Xm <- model.matrix(mm); mu <- fitted(mm); Vm <- solve(t(Xm) %*% (mu * (1 - mu) * Xm))
cf <- coef(mm)
cat(sprintf("multi lines %d deviance %.12g null %.12g df %d\n", nrow(k), deviance(mm), mm$null.deviance, mm$df.residual))
for (i in seq_along(cf))
  cat(sprintf("multi %s %.12g se %.12g\n", names(cf)[i], cf[i], sqrt(Vm[i, i])))
# Denial rates by payer class (stats --by payer_class): every adjudicated
# line, and those without a session rule.
cls <- ifelse(known, pay$class[pi], "unknown payer")
for (c in sort(unique(cls)))
  cat(sprintf("by %s n %d d %d model %d %d\n", c, sum(cls == c), sum(adj$den[cls == c]),
              sum(cls == c & !rule), sum(adj$den[cls == c & !rule])))
