-- Object kinds, no tenancy: tables are pulled as public (TODO reasons filled by the runner).
do $$ begin create role app_user nologin; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;

-- 63-byte identifiers (PostgreSQL's limit), and constraint names PostgreSQL truncates.
create table app.a_table_name_that_is_exactly_sixty_three_bytes_long_abcdefghijk (
    a_column_name_that_is_exactly_sixty_three_bytes_long_abcdefghij int primary key,
    another_very_long_column_name_to_make_generated_names_overflow int unique
);
create index an_index_name_that_is_exactly_sixty_three_bytes_long_abcdefghij
    on app.a_table_name_that_is_exactly_sixty_three_bytes_long_abcdefghijk (another_very_long_column_name_to_make_generated_names_overflow desc);
