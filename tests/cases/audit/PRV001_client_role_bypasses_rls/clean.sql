reset role; select public.ensure_role('prv001_client'); alter role prv001_client nobypassrls;
