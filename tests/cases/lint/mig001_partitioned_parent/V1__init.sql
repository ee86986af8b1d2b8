create table events (id uuid, tenant_id uuid not null, at date not null) partition by range (at);
create table events_2026 partition of events for values from ('2026-01-01') to ('2027-01-01');
alter table events enable row level security;
alter table events_2026 enable row level security;
