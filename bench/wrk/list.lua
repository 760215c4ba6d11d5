-- GET /api/v1/products?limit=50&include=variants,mediaAssets (the first page).
dofile("bench/wrk/common.lua")
function request()
  return wrk.format("GET", "/api/v1/products?limit=50&include=variants,mediaAssets")
end
