-- GET $PIM_PATH on the PIM API, with the tenant and organization headers it needs.
dofile("bench/wrk/common.lua")
wrk.headers["X-Tenant-ID"] = os.getenv("PIMENTO_TENANT") or ""
wrk.headers["X-Org-ID"] = os.getenv("PIMENTO_ORG") or ""
local path = os.getenv("PIM_PATH") or "/api/v1/pim/stats"
function request()
  return wrk.format("GET", path)
end
