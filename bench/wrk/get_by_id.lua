-- GET one product at a time over the ids listed in $PIMENTO_IDS_FILE:
-- $GET_PREFIX .. id .. $GET_SUFFIX (default: the Products API with variants and media).
-- GET_PIM=1 adds the PIM's tenant and organization headers; GET_AUTH replaces the
-- Authorization header (CS-Cart's Basic credentials).
dofile("bench/wrk/common.lua")
local prefix = os.getenv("GET_PREFIX") or "/api/v1/products/"
local suffix = os.getenv("GET_SUFFIX") or "?include=variants,mediaAssets"
if os.getenv("GET_PIM") == "1" then
  wrk.headers["X-Tenant-ID"] = os.getenv("PIMENTO_TENANT") or ""
  wrk.headers["X-Org-ID"] = os.getenv("PIMENTO_ORG") or ""
end
if os.getenv("GET_AUTH") then wrk.headers["Authorization"] = os.getenv("GET_AUTH") end
local ids = {}
for line in io.lines(os.getenv("PIMENTO_IDS_FILE")) do ids[#ids + 1] = line end
local n = 0
function request()
  n = n + 1
  local id = ids[(n * 7919) % #ids + 1]
  return wrk.format("GET", prefix .. id .. suffix)
end
