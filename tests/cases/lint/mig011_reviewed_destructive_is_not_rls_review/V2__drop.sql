-- rlsctl:reviewed destructive
drop policy p on t;
