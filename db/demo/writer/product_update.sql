-- pgbench script (the compose "writer" service): a product's price, stock and attributes change.
\set n random(1, 200)
UPDATE products
SET price = round(price * (0.9 + random() * 0.2)::numeric, 2),
    stock = greatest(0, stock + (random() * 20)::int - 10),
    attributes = attributes || jsonb_build_object('repriced_at', now()),
    updated_at = now()
WHERE sku = 'SKU-' || lpad(CAST(:n AS text), 5, '0');
