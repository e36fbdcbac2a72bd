-- A local store written by the app before rounds (schema version 1: votes per list), as
-- sqlite3 iterdump printed it; test_store.py upgrades it. Not to be edited by hand.
BEGIN TRANSACTION;
CREATE TABLE activity_event (
	id INTEGER NOT NULL, 
	fingerprint VARCHAR(64) NOT NULL, 
	category VARCHAR(16) NOT NULL, 
	source VARCHAR NOT NULL, 
	title VARCHAR NOT NULL, 
	external_id VARCHAR, 
	time DATETIME NOT NULL, 
	weight FLOAT NOT NULL, 
	origin VARCHAR(64) NOT NULL, 
	added_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (fingerprint)
);
INSERT INTO "activity_event" VALUES(1,'9079c40a8e923fe524002cb03be2bf12e07e13cb0973fcd6a5a6f2c098faade9','books','goodreads','Dune',NULL,'2026-01-05 12:00:00.000000',1.0,'goodreads','2026-12-02 05:41:56.052277');
CREATE TABLE category_consent (
	category VARCHAR(16) NOT NULL, 
	opted_in BOOLEAN NOT NULL, 
	changed_at DATETIME NOT NULL, 
	PRIMARY KEY (category)
);
INSERT INTO "category_consent" VALUES('books',1,'2026-12-02 05:41:56.068230');
CREATE TABLE data_use (
	id INTEGER NOT NULL, 
	at DATETIME NOT NULL, 
	market_url VARCHAR NOT NULL, 
	model_label VARCHAR NOT NULL, 
	categories VARCHAR NOT NULL, 
	query_bytes INTEGER NOT NULL, 
	response_bytes INTEGER NOT NULL, 
	impression_id VARCHAR(32) NOT NULL, 
	paid_to_you INTEGER, 
	PRIMARY KEY (id)
);
INSERT INTO "data_use" VALUES(1,'2026-01-05 12:00:00.000000','http://127.0.0.1:8000','shelf@1.0.0 by acme','books',100,200,'imp-sent',3);
INSERT INTO "data_use" VALUES(2,'2026-01-05 12:00:00.000000','http://127.0.0.1:8000','mix@2.0.0 by acme','books',100,200,'imp-queued',NULL);
INSERT INTO "data_use" VALUES(3,'2026-01-05 12:00:00.000000','http://127.0.0.1:8000','shelf@1.0.0 by acme','books',100,200,'imp-rated',NULL);
INSERT INTO "data_use" VALUES(4,'2026-01-05 12:00:00.000000','http://127.0.0.1:8000','shelf@1.0.0 by acme','books',100,200,'imp-unrated',NULL);
CREATE TABLE impression (
	impression_id VARCHAR(32) NOT NULL, 
	market_url VARCHAR NOT NULL, 
	model_id INTEGER NOT NULL, 
	model_key VARCHAR NOT NULL, 
	model_label VARCHAR NOT NULL, 
	epoch INTEGER NOT NULL, 
	items_json VARCHAR NOT NULL, 
	created_at DATETIME NOT NULL, 
	submitted_at DATETIME, 
	delivered_at DATETIME, 
	attention_paid INTEGER, 
	failure VARCHAR, 
	PRIMARY KEY (impression_id)
);
INSERT INTO "impression" VALUES('imp-sent','http://127.0.0.1:8000',1,'acme/shelf','shelf@1.0.0 by acme',3,'["a", "b", "c"]','2026-12-02 05:41:56.084198','2026-12-02 05:41:56.120081','2026-12-02 05:41:56.133836',3,NULL);
INSERT INTO "impression" VALUES('imp-queued','http://127.0.0.1:8000',1,'acme/mix','mix@2.0.0 by acme',3,'["m", "n"]','2026-12-02 05:41:56.092190','2026-12-02 05:41:56.120081',NULL,NULL,NULL);
INSERT INTO "impression" VALUES('imp-rated','http://127.0.0.1:8000',1,'acme/shelf','shelf@1.0.0 by acme',3,'["x", "y", "z"]','2026-12-02 05:41:56.096135',NULL,NULL,NULL,NULL);
INSERT INTO "impression" VALUES('imp-unrated','http://127.0.0.1:8000',1,'acme/shelf','shelf@1.0.0 by acme',3,'["p", "q"]','2026-12-02 05:41:56.100126',NULL,NULL,NULL,NULL);
CREATE TABLE ledger_check (
	market_url VARCHAR NOT NULL, 
	market_key VARCHAR(64) NOT NULL, 
	checkpoint TEXT NOT NULL, 
	heads VARCHAR NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (market_url)
);
CREATE TABLE rating_outbox (
	impression_id VARCHAR(32) NOT NULL, 
	payload VARCHAR NOT NULL, 
	attempts INTEGER NOT NULL, 
	next_attempt_at DATETIME NOT NULL, 
	last_error VARCHAR, 
	PRIMARY KEY (impression_id)
);
INSERT INTO "rating_outbox" VALUES('imp-queued','{"impression_id": "imp-queued", "shown": 2, "liked": 1, "disliked": 0}',0,'2026-12-02 05:41:56.120081',NULL);
CREATE TABLE setting (
	"key" VARCHAR(64) NOT NULL, 
	value VARCHAR NOT NULL, 
	PRIMARY KEY ("key")
);
INSERT INTO "setting" VALUES('market_url','"http://127.0.0.1:8000"');
CREATE TABLE vote (
	impression_id VARCHAR(32) NOT NULL, 
	item_id VARCHAR(128) NOT NULL, 
	model_key VARCHAR NOT NULL, 
	vote VARCHAR(8) NOT NULL, 
	at DATETIME NOT NULL, 
	PRIMARY KEY (impression_id, item_id)
);
INSERT INTO "vote" VALUES('imp-sent','a','acme/shelf','like','2026-12-02 05:41:56.107247');
INSERT INTO "vote" VALUES('imp-queued','m','acme/mix','like','2026-12-02 05:41:56.116915');
INSERT INTO "vote" VALUES('imp-rated','x','acme/shelf','like','2026-12-02 05:41:56.144741');
INSERT INTO "vote" VALUES('imp-rated','y','acme/shelf','dislike','2026-12-02 05:41:56.146435');
CREATE INDEX ix_activity_event_category ON activity_event (category);
CREATE INDEX ix_impression_model_key ON impression (model_key);
CREATE INDEX ix_vote_model_key ON vote (model_key);
CREATE INDEX ix_data_use_at ON data_use (at);
CREATE INDEX ix_data_use_impression_id ON data_use (impression_id);
COMMIT;
