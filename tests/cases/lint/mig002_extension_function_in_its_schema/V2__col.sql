alter table t add column token uuid default extensions.uuid_generate_v4();
