begin;
insert into app.children values (1, 7);
insert into app.parents values (7);
commit;
