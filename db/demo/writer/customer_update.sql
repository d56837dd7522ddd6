-- pgbench script (the compose "writer" service): a customer changes; one time in ten the active flag flips, which moves
-- the row into or out of reporting.active_customers (where = "active").
\set id random(1, 2000)
\set flip random(1, 10)
UPDATE customers
SET email = 'customer' || id || '+' || (random() * 1000)::int || '@example.com',
    active = CASE WHEN :flip = 1 THEN NOT active ELSE active END,
    credit_limit = round((500 + random() * 9500)::numeric, 2),
    updated_at = now()
WHERE id = :id;
