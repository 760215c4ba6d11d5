-- GET /api/v1/products/{id}?include=variants,mediaAssets over ids listed in $PIMENTO_IDS_FILE.
dofile("bench/wrk/common.lua")
local ids = {}
for line in io.lines(os.getenv("PIMENTO_IDS_FILE")) do ids[#ids + 1] = line end
local n = 0
function request()
  n = n + 1
  local id = ids[(n * 7919) % #ids + 1]
  return wrk.format("GET", "/api/v1/products/" .. id .. "?include=variants,mediaAssets")
end
