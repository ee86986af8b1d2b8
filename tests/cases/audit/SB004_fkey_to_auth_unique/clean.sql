create table auth.users (id uuid primary key, email text unique);
create table public.profiles (id uuid primary key constraint profiles_id_fkey references auth.users (id), email text);
