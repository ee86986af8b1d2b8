create table t (id uuid, tenant_id uuid);
