-- pgbench script (the compose "writer" service): now and then a large row: a product picture of 1 to 3 MB of random
-- bytes, and a long note (hundreds of KB) on the newest order. ActorSync reads rows at apply time, so any size works.
\set n random(1, 200)
\set mb random(1, 3)
UPDATE products
SET picture = (SELECT string_agg(decode(md5(random()::text), 'hex'), ''::bytea) FROM generate_series(1, :mb * 65536)),
    updated_at = now()
WHERE sku = 'SKU-' || lpad(CAST(:n AS text), 5, '0');
UPDATE orders SET note = repeat('Please leave the parcel with the neighbour. ', 5000 * :mb) WHERE id = (SELECT max(id) FROM orders);
