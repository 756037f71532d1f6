# Reference values for tests/unit/test_stats.c, computed independently of
# grouprev with R's glm (binomial, logit link) and prop.trend.test.
#   Rscript tests/stats/reference.R > tests/stats/reference.out
options(digits = 12)
wilson <- function(d, n, z = qnorm(0.975)) {
  p <- d / n
  centre <- (p + z^2 / (2 * n)) / (1 + z^2 / n)
  half <- z * sqrt(p * (1 - p) / n + z^2 / (4 * n^2)) / (1 + z^2 / n)
  c(centre - half, centre + half)
}
fit <- function(name, size, n, d) {
  m <- glm(cbind(d, n - d) ~ size, family = binomial, control = glm.control(epsilon = 1e-14, maxit = 100))
  s <- summary(m)$coefficients
  # Standard errors at the estimate itself: one more evaluation of the
  # information matrix at the final coefficients (R's summary uses the
  # weights of the last iteration, a hair away at epsilon 1e-14).
  X <- cbind(1, size); mu <- fitted(m); W <- n * mu * (1 - mu)
  V <- solve(t(X) %*% (W * X))
  cat(sprintf("%s b0 %.12f b1 %.12f se0 %.12f se1 %.12f\n", name, coef(m)[1], coef(m)[2], sqrt(V[1,1]), sqrt(V[2,2])))
  cat(sprintf("%s z1 %.12f p1 %.12g dev %.12f null %.12f\n", name, s[2,3], s[2,4], deviance(m), m$null.deviance))
  ci <- exp(coef(m)[2] + c(-1, 1) * qnorm(0.975) * sqrt(V[2,2]))
  cat(sprintf("%s or %.12f lo %.12f hi %.12f\n", name, exp(coef(m)[2]), ci[1], ci[2]))
  t <- prop.trend.test(d, n, score = size)
  cat(sprintf("%s trend %.12f p %.12g\n", name, t$statistic, t$p.value))
}
# A realistic trend.
fit("trend", c(3,4,5,6,7,8,9,10,11,12), c(20,35,50,60,70,65,55,40,30,15), c(1,2,3,5,7,8,9,8,7,5))
# A flat relation.
fit("flat", c(4,6,8), c(50,50,50), c(5,5,5))
# Wilson intervals, including Newcombe (1998), Stat Med 17:857, Table I.
for (x in list(c(81,263), c(15,148), c(0,20), c(1,29), c(0,10), c(10,10), c(3,7))) {
  w <- wilson(x[1], x[2])
  cat(sprintf("wilson %d %d %.12f %.12f\n", x[1], x[2], w[1], w[2]))
}
