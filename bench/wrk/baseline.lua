-- GET /baseline: a fixed 2 KB JSON body from a minimal axum handler, the reference figure.
dofile("bench/wrk/common.lua")
function request()
  return wrk.format("GET", "/baseline")
end
