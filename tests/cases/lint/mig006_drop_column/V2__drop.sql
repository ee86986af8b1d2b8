alter table t drop column x;
