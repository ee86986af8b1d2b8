create schema app;
create table app.t (
  a int4 primary key, b int8 not null, c varchar(20) not null, d bool not null,
  e float8 not null, f timestamptz not null, g decimal(10,2) not null, h char(3) not null,
  i integer not null, j character varying not null, k timestamp without time zone not null, l int2 not null);
