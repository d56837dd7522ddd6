-- ActorSync demo: the target database "reporting". Used by docker compose (db/demo/init.sh) and `actorsync demo`.
-- orders' target exists beforehand, as a reporting table usually does; the other targets are created by ActorSync
-- from their sources' definitions (create-target = true in config/docker.conf). ActorSync never creates types, so the
-- enum the orders carry is created here.

CREATE TYPE order_status AS ENUM ('new', 'paid', 'shipped', 'delivered');

CREATE TABLE orders (
    id          bigint PRIMARY KEY,
    public_id   uuid NOT NULL,
    customer_id bigint NOT NULL,
    status      order_status NOT NULL,
    total       numeric(14,2) NOT NULL,  -- wider than the source's numeric(12,2): a compatible target
    currency    char(3) NOT NULL,
    placed_at   timestamptz NOT NULL,
    shipped_at  timestamptz,
    note        text
);
CREATE INDEX orders_placed_at ON orders (placed_at);
