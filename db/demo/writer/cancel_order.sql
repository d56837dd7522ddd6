-- pgbench script (the compose "writer" service): an old order is deleted; its lines go with it (ON DELETE CASCADE).
\set skip random(0, 50)
DELETE FROM orders WHERE id = (SELECT min(id) FROM orders) + :skip;
