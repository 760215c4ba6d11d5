-- A mixed catalog load over ids listed in $PIMENTO_IDS_FILE: 70 % product reads with variants
-- and media, 15 % list pages of 50, 10 % updates of a product's name, 5 % creates. With
-- DELAY_MS, each connection waits that long between requests (the soak's paced load).
dofile("bench/wrk/common.lua")
local ids = {}
for line in io.lines(os.getenv("PIMENTO_IDS_FILE")) do ids[#ids + 1] = line end
local delay_ms = tonumber(os.getenv("DELAY_MS") or "0")
function init(args)
  prefix = unique_prefix("S")
  counter = 0
end
function delay()
  return delay_ms
end
function request()
  counter = counter + 1
  local roll = math.random(1, 100)
  local id = ids[math.random(1, #ids)]
  if roll <= 70 then
    return wrk.format("GET", "/api/v1/products/" .. id .. "?include=variants,mediaAssets")
  elseif roll <= 85 then
    return wrk.format("GET", "/api/v1/products?limit=50&include=variants,mediaAssets")
  elseif roll <= 95 then
    return wrk.format("PUT", "/api/v1/products/" .. id, nil,
      string.format('{"name":"Soak rename %s-%d"}', prefix, counter))
  else
    local s = prefix .. "-" .. counter
    return wrk.format("POST", "/api/v1/products", nil, string.format(
      '{"name":"Soak Tee %s","url":"https://shop.example.com/p/%s","variants":[{"sku":"%s-S","price":"19.99"},{"sku":"%s-M","price":"19.99"}]}',
      s, s, s, s))
  end
end
