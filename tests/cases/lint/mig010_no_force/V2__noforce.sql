alter table t no force row level security;
