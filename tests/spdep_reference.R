# Reference values from R's spdep for tests/test_reference_spdep.py.
#
# Usage: Rscript spdep_reference.R DIR
# DIR holds cases.csv (one row per case: name, kind, nbtype, nrow, ncol, k, d,
# power) and <name>_data.csv (grids: column value, nrow * ncol cells in
# row-major order, NA for holes; points: columns x, y, value). For each case
# and weights style ("W" row-standardised, "B" binary / raw) it writes
#   <name>_<style>_edges.csv   the weights (0-based i, j, w)
#   <name>_<style>_global.csv  moran.test, globalG.test, S0, S1, S2
#   <name>_<style>_local.csv   localmoran (conditional and total), localG (Gi*)
# with 17 significant digits. The neighbours are built here by spdep itself
# (cell2nb, knearneigh + knn2nb, dnearneigh, nbdists), never read from Python.

suppressPackageStartupMessages(library(spdep))

args <- commandArgs(trailingOnly = TRUE)
dir <- args[1]

fmt <- function(df) {
  df[] <- lapply(df, function(v) if (is.numeric(v)) sprintf("%.17g", v) else v)
  df
}
out <- function(df, name) {
  write.csv(fmt(df), file.path(dir, name), row.names = FALSE, quote = FALSE)
}

# Cell centres of an nrow x ncol grid in row-major order (x = column, y = -row).
grid_coords <- function(nrow, ncol) {
  i <- seq_len(nrow * ncol) - 1
  cbind((i %% ncol), -(i %/% ncol))
}

# Weights list aligned with nb: inverse distance 1 / d^power.
idw_glist <- function(nb, coords, power) {
  lapply(nbdists(nb, coords), function(d) 1 / d^power)
}

# Gi* weights: self included with weight 1 (binary) or, for inverse distance,
# the largest weight of the row (esda / our convention).
star_glist <- function(nbs, coords, power) {
  lapply(nbdists(nbs, coords), function(d) {
    w <- 1 / d^power
    if (any(d > 0)) w[d == 0] <- max(w[d > 0]) else w[d == 0] <- 1
    w
  })
}

cases <- read.csv(file.path(dir, "cases.csv"), stringsAsFactors = FALSE)
for (r in seq_len(nrow(cases))) {
  cs <- cases[r, ]
  dat <- read.csv(file.path(dir, paste0(cs$name, "_data.csv")))
  if (cs$kind == "grid") {
    coords <- grid_coords(cs$nrow, cs$ncol)
    if (cs$nbtype %in% c("queen", "rook")) {
      nb <- cell2nb(cs$nrow, cs$ncol, type = cs$nbtype)
    } else {
      nb <- dnearneigh(coords, 0, cs$d)
    }
    keep <- !is.na(dat$value)
    if (!all(keep)) {
      nb <- subset.nb(nb, keep)
      coords <- coords[keep, , drop = FALSE]
    }
    x <- dat$value[keep]
  } else {
    coords <- cbind(dat$x, dat$y)
    x <- dat$value
    if (cs$nbtype == "knn") {
      nb <- knn2nb(knearneigh(coords, k = cs$k))
    } else {
      d <- cs$d
      if (d == 0) {
        # Default band: the largest nearest-neighbour distance (slightly enlarged).
        d1 <- unlist(nbdists(knn2nb(knearneigh(coords, k = 1)), coords))
        d <- max(d1) * (1 + 1e-9)
      }
      nb <- dnearneigh(coords, 0, d)
    }
  }
  idw <- cs$nbtype == "idw"
  glist <- if (idw) idw_glist(nb, coords, cs$power) else NULL
  nbs <- include.self(nb)
  gstar <- if (idw) star_glist(nbs, coords, cs$power) else NULL
  islands <- any(card(nb) == 0)
  for (style in c("W", "B")) {
    lw <- nb2listw(nb, glist = glist, style = style, zero.policy = TRUE)
    ij <- do.call(rbind, lapply(seq_along(lw$neighbours), function(i) {
      if (card(nb)[i] == 0) return(NULL)
      data.frame(i = i - 1, j = lw$neighbours[[i]] - 1, w = lw$weights[[i]])
    }))
    out(ij, sprintf("%s_%s_edges.csv", cs$name, style))
    # adjust.n = FALSE keeps islands in n (esda's and our convention); without
    # islands it changes nothing.
    mr <- moran.test(x, lw, randomisation = TRUE, zero.policy = TRUE, adjust.n = FALSE,
                     alternative = "two.sided")
    mn <- moran.test(x, lw, randomisation = FALSE, zero.policy = TRUE, adjust.n = FALSE,
                     alternative = "two.sided")
    wc <- spweights.constants(lw, zero.policy = TRUE, adjust.n = FALSE)
    g <- list(I = mr$estimate[[1]], EI = mr$estimate[[2]], VI_rand = mr$estimate[[3]],
              Z_rand = mr$statistic[[1]], P_rand = mr$p.value, VI_norm = mn$estimate[[3]],
              Z_norm = mn$statistic[[1]], P_norm = mn$p.value,
              S0 = wc$S0, S1 = wc$S1, S2 = wc$S2, n = wc$n,
              G = NA_real_, EG = NA_real_, VG = NA_real_, Z_G = NA_real_, P_G = NA_real_)
    if (style == "B") {
      gg <- globalG.test(x, lw, zero.policy = TRUE, adjust.n = FALSE, adjust.x = FALSE,
                         alternative = "two.sided")
      g$G <- gg$estimate[[1]]
      g$EG <- gg$estimate[[2]]
      g$VG <- gg$estimate[[3]]
      g$Z_G <- gg$statistic[[1]]
      g$P_G <- gg$p.value
    }
    out(as.data.frame(g), sprintf("%s_%s_global.csv", cs$name, style))
    lc <- localmoran(x, lw, zero.policy = TRUE, conditional = TRUE)
    lt <- localmoran(x, lw, zero.policy = TRUE, conditional = FALSE)
    lws <- nb2listw(nbs, glist = gstar, style = style, zero.policy = TRUE)
    gi <- localG(x, lws, zero.policy = TRUE, return_internals = TRUE, alternative = "two.sided")
    loc <- data.frame(card = card(nb), Ii = lc[, "Ii"], E_c = lc[, "E.Ii"], Var_c = lc[, "Var.Ii"],
                      Z_c = lc[, "Z.Ii"], P_c = lc[, 5], E_t = lt[, "E.Ii"], Var_t = lt[, "Var.Ii"],
                      Z_t = lt[, "Z.Ii"], Gstar = as.numeric(gi),
                      P_Gstar = attr(gi, "internals")[, 5])
    out(loc, sprintf("%s_%s_local.csv", cs$name, style))
  }
  if (islands) message(cs$name, ": ", sum(card(nb) == 0), " island(s)")
}
cat("ok\n")
