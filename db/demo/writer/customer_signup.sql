-- pgbench script (the compose "writer" service): a new customer signs up.
\set n random(1, 1000000)
INSERT INTO customers (name, email, country, tags)
VALUES ('New customer ' || :n, 'new' || :n || '@example.com', (ARRAY['DE', 'FR', 'NL', 'SE'])[1 + :n % 4], ARRAY['signup']);
