drop table if exists u;
