alter table t disable row level security;
