-- POST /api/v1/products with 3 variants (unique SKUs per request) and 2 media assets; with
-- IDEMPOTENT=1, each with an Idempotency-Key of its own.
dofile("bench/wrk/common.lua")
local counter = 0
function init(args)
  prefix = unique_prefix("B")
end
function request()
  counter = counter + 1
  local s = prefix .. "-" .. counter
  local body = string.format([[{"name":"Bench Tee %s","url":"https://shop.example.com/p/%s","description":"Load test product",
"variants":[{"sku":"%s-S","price":"19.99","inventoryQuantity":5},{"sku":"%s-M","price":"19.99"},{"sku":"%s-L","price":"21.99"}],
"productMediaAssets":[{"publicUrl":"https://cdn.example.com/%s/1.jpg"},{"publicUrl":"https://cdn.example.com/%s/2.jpg"}]}]],
    s, s, s, s, s, s, s)
  local headers = nil
  if os.getenv("IDEMPOTENT") == "1" then
    -- A table given to wrk.format replaces wrk.headers: copy them.
    headers = {["Idempotency-Key"] = "bench-" .. s}
    for k, v in pairs(wrk.headers) do headers[k] = v end
  end
  return wrk.format("POST", "/api/v1/products", headers, body)
end
