begin;
insert into app.slots values (1, 1), (1, 2);
update app.slots set id = 2 where pos = 2;
commit;
