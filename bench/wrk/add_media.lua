-- POST /api/v1/products/{id}/media-assets: one new media asset (a URL of its own) added to a
-- product listed in $PIMENTO_IDS_FILE, a small write to an existing product.
dofile("bench/wrk/common.lua")
local ids = {}
for line in io.lines(os.getenv("PIMENTO_IDS_FILE")) do ids[#ids + 1] = line end
local counter = 0
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_no", threads)
end
function init(args)
  math.randomseed(os.time() * 1000 + thread_no)
  prefix = string.format("M%d-%d-%d", os.time(), thread_no, math.random(1, 1e9))
end
function request()
  counter = counter + 1
  local id = ids[(counter * 7919) % #ids + 1]
  local body = string.format('{"publicUrl":"https://cdn.example.com/%s-%d.jpg"}', prefix, counter)
  return wrk.format("POST", "/api/v1/products/" .. id .. "/media-assets", nil, body)
end
