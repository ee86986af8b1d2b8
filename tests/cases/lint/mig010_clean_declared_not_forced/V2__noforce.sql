alter table t_unforced no force row level security;
