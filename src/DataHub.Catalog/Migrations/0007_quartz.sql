-- 0006 quartz: the schema the Quartz.NET job store keeps the cluster's schedule in (table prefix quartz.qrtz_).
-- Only the schema is created here. Quartz 4.7 provisions its own tables inside it when a scheduler starts
-- (SchemaProvisioning.CreateIfMissing: guarded CREATE TABLE/INDEX IF NOT EXISTS, never altered or dropped), so
-- the table definitions stay the ones the running Quartz version expects.
CREATE SCHEMA IF NOT EXISTS quartz;
