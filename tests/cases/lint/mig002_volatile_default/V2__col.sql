alter table t add column token uuid default gen_random_uuid();
