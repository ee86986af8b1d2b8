-- rlsctl:reviewed rls-weakening
drop policy p on t;
alter table u no force row level security;
