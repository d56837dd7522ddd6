-- pgbench script (the compose "writer" service): one of the recent orders moves on: new -> paid -> shipped -> delivered.
\set back random(0, 300)
UPDATE orders
SET status = CASE status WHEN 'new' THEN 'paid'::order_status WHEN 'paid' THEN 'shipped'::order_status ELSE 'delivered'::order_status END,
    shipped_at = CASE WHEN status = 'paid' THEN now() ELSE shipped_at END
WHERE id = (SELECT max(id) FROM orders) - :back;
