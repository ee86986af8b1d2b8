grant select on all tables in schema public to app_user;
