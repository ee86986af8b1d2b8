create table if not exists t (id uuid primary key, tenant_id uuid not null, x int);
create index t_x on t (x);
