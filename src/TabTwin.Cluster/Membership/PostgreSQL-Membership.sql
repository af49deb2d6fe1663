-- Orleans ADO.NET clustering tables for PostgreSQL, as Microsoft.Orleans.Clustering.AdoNet 10.4 reads them.
-- Orleans (MIT License, (c) .NET Foundation and contributors) defines the contract this file implements: the table and
-- column names, the query keys in OrleansQuery, their @parameters and result columns, and that a membership write
-- returns a single count that is 0 when its optimistic version check fails (see Orleans' PostgreSQL-Main.sql and
-- PostgreSQL-Clustering.sql). The statements below are TabTwin's, written to be run again and again (IF NOT EXISTS,
-- CREATE OR REPLACE, ON CONFLICT DO NOTHING), so a database set up by Orleans' own scripts is left as it is.
-- TabTwin runs this file in one transaction under an advisory lock, so silos starting together do not collide.

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey varchar(64) NOT NULL,
    QueryText varchar(8000) NOT NULL,
    CONSTRAINT OrleansQuery_Key PRIMARY KEY (QueryKey)
);

-- One row per cluster: its membership version, raised by every membership write.
CREATE TABLE IF NOT EXISTS OrleansMembershipVersionTable
(
    DeploymentId varchar(150) NOT NULL,
    Timestamp timestamptz(3) NOT NULL DEFAULT now(),
    Version integer NOT NULL DEFAULT 0,
    CONSTRAINT PK_OrleansMembershipVersionTable_DeploymentId PRIMARY KEY (DeploymentId)
);

-- One row per silo incarnation (address, port and generation).
CREATE TABLE IF NOT EXISTS OrleansMembershipTable
(
    DeploymentId varchar(150) NOT NULL,
    Address varchar(45) NOT NULL,
    Port integer NOT NULL,
    Generation integer NOT NULL,
    SiloName varchar(150) NOT NULL,
    HostName varchar(150) NOT NULL,
    Status integer NOT NULL,
    ProxyPort integer NULL,
    SuspectTimes varchar(8000) NULL,
    StartTime timestamptz(3) NOT NULL,
    IAmAliveTime timestamptz(3) NOT NULL,
    CONSTRAINT PK_MembershipTable_DeploymentId PRIMARY KEY (DeploymentId, Address, Port, Generation),
    CONSTRAINT FK_MembershipTable_MembershipVersionTable_DeploymentId FOREIGN KEY (DeploymentId)
        REFERENCES OrleansMembershipVersionTable (DeploymentId)
);

-- A new cluster's version row; 1 when this call created it, 0 when it was there already.
CREATE OR REPLACE FUNCTION tabtwin_orleans_insert_version(cluster varchar)
RETURNS integer LANGUAGE plpgsql AS $body$
DECLARE n integer;
BEGIN
    INSERT INTO OrleansMembershipVersionTable (DeploymentId) VALUES (cluster) ON CONFLICT (DeploymentId) DO NOTHING;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END
$body$;

-- Adds a silo's row if the cluster is still at the version the silo read (and the row is new); 1 on success, else 0
-- with nothing changed (the version bump is undone by the exception block).
CREATE OR REPLACE FUNCTION tabtwin_orleans_insert_member(
    cluster varchar, address_arg varchar, port_arg integer, generation_arg integer, silo_name varchar, host_name varchar,
    status_arg integer, proxy_port integer, start_time timestamptz, alive_time timestamptz, expected_version integer)
RETURNS integer LANGUAGE plpgsql AS $body$
DECLARE n integer;
BEGIN
    BEGIN
        UPDATE OrleansMembershipVersionTable SET Version = Version + 1, Timestamp = now()
        WHERE DeploymentId = cluster AND Version = expected_version AND Version < 2147483647;
        GET DIAGNOSTICS n = ROW_COUNT;
        IF n = 0 THEN RETURN 0; END IF;
        INSERT INTO OrleansMembershipTable (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, StartTime, IAmAliveTime)
        VALUES (cluster, address_arg, port_arg, generation_arg, silo_name, host_name, status_arg, proxy_port, start_time, alive_time)
        ON CONFLICT (DeploymentId, Address, Port, Generation) DO NOTHING;
        GET DIAGNOSTICS n = ROW_COUNT;
        IF n = 0 THEN RAISE EXCEPTION 'member exists' USING ERRCODE = 'TT001'; END IF;
        RETURN 1;
    EXCEPTION WHEN SQLSTATE 'TT001' THEN
        RETURN 0;
    END;
END
$body$;

-- Rewrites a silo's status and suspicions if the cluster is still at the version the silo read; 1 on success, else 0.
CREATE OR REPLACE FUNCTION tabtwin_orleans_update_member(
    cluster varchar, address_arg varchar, port_arg integer, generation_arg integer, status_arg integer,
    suspect_times varchar, alive_time timestamptz, expected_version integer)
RETURNS integer LANGUAGE plpgsql AS $body$
DECLARE n integer;
BEGIN
    BEGIN
        UPDATE OrleansMembershipVersionTable SET Version = Version + 1, Timestamp = now()
        WHERE DeploymentId = cluster AND Version = expected_version AND Version < 2147483647;
        GET DIAGNOSTICS n = ROW_COUNT;
        IF n = 0 THEN RETURN 0; END IF;
        UPDATE OrleansMembershipTable
        SET Status = status_arg, SuspectTimes = suspect_times, IAmAliveTime = GREATEST(IAmAliveTime, alive_time)
        WHERE DeploymentId = cluster AND Address = address_arg AND Port = port_arg AND Generation = generation_arg;
        GET DIAGNOSTICS n = ROW_COUNT;
        IF n = 0 THEN RAISE EXCEPTION 'no such member' USING ERRCODE = 'TT001'; END IF;
        RETURN 1;
    EXCEPTION WHEN SQLSTATE 'TT001' THEN
        RETURN 0;
    END;
END
$body$;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('InsertMembershipVersionKey', $q$
    SELECT tabtwin_orleans_insert_version(@DeploymentId);
$q$),
('InsertMembershipKey', $q$
    SELECT tabtwin_orleans_insert_member(@DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName,
        @Status, @ProxyPort, @StartTime, @IAmAliveTime, @Version);
$q$),
('UpdateMembershipKey', $q$
    SELECT tabtwin_orleans_update_member(@DeploymentId, @Address, @Port, @Generation, @Status,
        @SuspectTimes, @IAmAliveTime, @Version);
$q$),
('UpdateIAmAlivetimeKey', $q$
    UPDATE OrleansMembershipTable SET IAmAliveTime = GREATEST(IAmAliveTime, @IAmAliveTime)
    WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation;
$q$),
('MembershipReadRowKey', $q$
    SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
        m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
    FROM OrleansMembershipVersionTable v
    LEFT JOIN OrleansMembershipTable m ON m.DeploymentId = v.DeploymentId
        AND m.Address = @Address AND m.Port = @Port AND m.Generation = @Generation
    WHERE v.DeploymentId = @DeploymentId;
$q$),
('MembershipReadAllKey', $q$
    SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
        m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
    FROM OrleansMembershipVersionTable v
    LEFT JOIN OrleansMembershipTable m ON m.DeploymentId = v.DeploymentId
    WHERE v.DeploymentId = @DeploymentId;
$q$),
('DeleteMembershipTableEntriesKey', $q$
    DELETE FROM OrleansMembershipTable WHERE DeploymentId = @DeploymentId;
    DELETE FROM OrleansMembershipVersionTable WHERE DeploymentId = @DeploymentId;
$q$),
('GatewaysQueryKey', $q$
    SELECT Address, ProxyPort, Generation FROM OrleansMembershipTable
    WHERE DeploymentId = @DeploymentId AND Status = @Status AND ProxyPort > 0;
$q$),
('CleanupDefunctSiloEntriesKey', $q$
    DELETE FROM OrleansMembershipTable
    WHERE DeploymentId = @DeploymentId AND IAmAliveTime < @IAmAliveTime AND StartTime < @IAmAliveTime
        AND COALESCE(SuspectTimes, '') = '' AND Status = 6;
$q$),
('CleanupDefunctSiloEntryKey', $q$
    DELETE FROM OrleansMembershipTable
    WHERE DeploymentId = @DeploymentId AND Status = 6 AND Address = @Address AND Port = @Port
        AND Generation = @Generation AND IAmAliveTime = @IAmAliveTime AND StartTime = @StartTime
        AND COALESCE(SuspectTimes, '') = COALESCE(@SuspectTimes, '');
$q$)
ON CONFLICT (QueryKey) DO NOTHING;
