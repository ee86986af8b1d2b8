create table app."My Docs" ("Tenant Id" text not null, "select" text);
grant select on app."My Docs" to app_user;
