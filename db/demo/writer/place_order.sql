-- pgbench script (the compose "writer" service): a customer places an order of 1 to 4 lines.
\set customer random(1, 2000)
\set lines random(1, 4)
\set first random(1, 200)
BEGIN;
INSERT INTO orders (customer_id, currency) VALUES (:customer, 'EUR') RETURNING id AS order_id \gset
INSERT INTO order_lines (order_id, line_no, sku, quantity, unit_price)
SELECT :order_id, l, p.sku, 1 + (random() * 4)::int, p.price
FROM generate_series(1, :lines) l
JOIN products p ON p.sku = 'SKU-' || lpad(CAST(1 + (:first + l * 13) % 200 AS text), 5, '0');
UPDATE orders SET total = (SELECT sum(quantity * unit_price) FROM order_lines WHERE order_id = :order_id) WHERE id = :order_id;
END;
