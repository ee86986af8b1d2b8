create schema app;
create table app.docs (id int primary key, owner text not null);
create policy gate on app.docs as restrictive to app_user using (owner <> 'x');
create policy mine on app.docs for select to app_user using (owner = current_user);
