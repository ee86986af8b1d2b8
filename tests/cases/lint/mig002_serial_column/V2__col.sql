alter table t add column n bigserial;
