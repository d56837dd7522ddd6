-- pgbench script (the compose "writer" service): a customer account is deleted.
\set id random(1, 2500)
DELETE FROM customers WHERE id = :id;
