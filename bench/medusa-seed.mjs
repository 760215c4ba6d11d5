#!/usr/bin/env node
// Seeds a catalog through the Medusa admin API (POST /admin/products/batch), in the shape the
// Medusa peer's seed uses, so both servers hold the same catalog:
//   product i: title `${ADJ[i%10]} ${MAT[⌊i/10⌋%10]} ${NOUN[⌊i/100⌋%20]} ${i}`, handle `bench-${i}`,
//   published, option Size = S/M/L, 3 variants (SKU-i-S/M/L) with an eur and a usd price.
// env: URL, KEY (secret key, sent as the js-sdk sends its apiKey), N (2000), CHUNK (50),
//      SC_ID, SP_ID (sales channel and shipping profile ids to give, optional), OUT (ids file).
import { writeFileSync } from "node:fs"

const URL_ = process.env.URL
const AUTH = "Basic " + Buffer.from(process.env.KEY + ":").toString("base64")
const N = parseInt(process.env.N || "2000", 10)
const CHUNK = parseInt(process.env.CHUNK || "50", 10)
const ADJ = ["Red", "Blue", "Green", "Black", "White", "Classic", "Modern", "Vintage", "Premium", "Light"]
const MAT = ["Cotton", "Wool", "Linen", "Leather", "Denim", "Silk", "Canvas", "Fleece", "Nylon", "Bamboo"]
const NOUN = ["Shirt", "Jacket", "Sweater", "Hoodie", "Trousers", "Shorts", "Dress", "Skirt", "Scarf", "Hat",
  "Cap", "Socks", "Gloves", "Belt", "Bag", "Backpack", "Coat", "Vest", "Blazer", "Sneakers"]
const SIZES = ["S", "M", "L"]

function product(i) {
  const title = `${ADJ[i % 10]} ${MAT[Math.floor(i / 10) % 10]} ${NOUN[Math.floor(i / 100) % 20]} ${i}`
  const base = 10 + (i % 90)
  return {
    title,
    handle: `bench-${i}`,
    description: `Benchmark product number ${i}: a ${title.toLowerCase()}.`,
    status: "published",
    ...(process.env.SP_ID ? { shipping_profile_id: process.env.SP_ID } : {}),
    ...(process.env.SC_ID ? { sales_channels: [{ id: process.env.SC_ID }] } : {}),
    options: [{ title: "Size", values: SIZES }],
    variants: SIZES.map((s, k) => ({
      title: `${title} / ${s}`,
      sku: `SKU-${i}-${s}`,
      manage_inventory: false,
      options: { Size: s },
      prices: [{ currency_code: "eur", amount: base + k }, { currency_code: "usd", amount: base + k + 1 }],
    })),
  }
}

const ids = []
const t0 = performance.now()
for (let at = 0; at < N; at += CHUNK) {
  const create = []
  for (let i = at; i < Math.min(N, at + CHUNK); i++) create.push(product(i))
  const res = await fetch(`${URL_}/admin/products/batch?fields=id`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: AUTH },
    body: JSON.stringify({ create }),
  })
  const body = await res.json()
  if (!res.ok) throw new Error(`batch at ${at}: ${res.status} ${JSON.stringify(body)}`)
  ids.push(...body.created.map((p) => p.id))
}
const secs = (performance.now() - t0) / 1000
writeFileSync(process.env.OUT, ids.join("\n") + "\n")
console.log(`seeded ${ids.length} products in ${secs.toFixed(1)} s (${(ids.length / secs).toFixed(0)}/s)`)
