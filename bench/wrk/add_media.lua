-- POST /api/v1/products/{id}/media-assets: one new media asset (a URL of its own) added to a
-- product listed in $PIMENTO_IDS_FILE, a small write to an existing product.
dofile("bench/wrk/common.lua")
local ids = {}
for line in io.lines(os.getenv("PIMENTO_IDS_FILE")) do ids[#ids + 1] = line end
local counter = 0
function init(args)
  prefix = unique_prefix("M")
end
function request()
  counter = counter + 1
  local id = ids[(counter * 7919) % #ids + 1]
  local body = string.format('{"publicUrl":"https://cdn.example.com/%s-%d.jpg"}', prefix, counter)
  return wrk.format("POST", "/api/v1/products/" .. id .. "/media-assets", nil, body)
end
