-- A local store written by the app before vote changes and history (schema version 3),
-- as sqlite3 iterdump printed it (user_version first); test_store.py upgrades it. Not to be
-- edited by hand.
PRAGMA user_version = 3;
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
CREATE TABLE category_consent (
	category VARCHAR(16) NOT NULL, 
	opted_in BOOLEAN NOT NULL, 
	changed_at DATETIME NOT NULL, 
	PRIMARY KEY (category)
);
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
INSERT INTO "data_use" VALUES(1,'2026-12-01 09:00:00.000000','http://m','shelf@1 by acme','books',100,200,'imp-a',4);
INSERT INTO "data_use" VALUES(2,'2026-12-01 09:00:00.000000','http://m','mix@1 by beta','books',100,200,'imp-d',NULL);
INSERT INTO "data_use" VALUES(3,'2026-12-01 09:00:00.000000','http://m','shelf@1 by acme','books',100,200,'imp-later',NULL);
CREATE TABLE impression (
	impression_id VARCHAR(32) NOT NULL, 
	round_id VARCHAR(32) NOT NULL, 
	position INTEGER NOT NULL, 
	reputation FLOAT NOT NULL, 
	market_url VARCHAR NOT NULL, 
	model_id INTEGER NOT NULL, 
	model_key VARCHAR NOT NULL, 
	model_label VARCHAR NOT NULL, 
	epoch INTEGER NOT NULL, 
	created_at DATETIME NOT NULL, 
	submitted_at DATETIME, 
	delivered_at DATETIME, 
	attention_paid INTEGER, 
	failure VARCHAR, 
	PRIMARY KEY (impression_id)
);
INSERT INTO "impression" VALUES('imp-a','r1',0,0.5,'http://m',1,'acme/shelf','shelf@1 by acme',0,'2026-12-02 13:29:04.242569','2026-12-02 13:29:04.282928','2026-12-02 13:29:04.299252',4,NULL);
INSERT INTO "impression" VALUES('imp-d','r1',1,0.5,'http://m',1,'beta/mix','mix@1 by beta',0,'2026-12-02 13:29:04.242569','2026-12-02 13:29:04.282928',NULL,NULL,NULL);
INSERT INTO "impression" VALUES('imp-later','r2',0,0.5,'http://m',1,'acme/shelf','shelf@1 by acme',1,'2026-12-02 13:29:04.314626',NULL,NULL,NULL,NULL);
CREATE TABLE impression_item (
	impression_id VARCHAR(32) NOT NULL, 
	rank INTEGER NOT NULL, 
	source VARCHAR NOT NULL, 
	item_id VARCHAR(128) NOT NULL, 
	title_key VARCHAR DEFAULT '' NOT NULL, 
	again BOOLEAN DEFAULT '0' NOT NULL, 
	PRIMARY KEY (impression_id, rank)
);
INSERT INTO "impression_item" VALUES('imp-a',0,'shop','x','books:x',0);
INSERT INTO "impression_item" VALUES('imp-a',1,'shop','y','books:y',0);
INSERT INTO "impression_item" VALUES('imp-a',2,'shop','z','books:z',0);
INSERT INTO "impression_item" VALUES('imp-d',0,'shop','x','books:x',0);
INSERT INTO "impression_item" VALUES('imp-d',1,'shop','w','books:w',0);
INSERT INTO "impression_item" VALUES('imp-later',0,'shop','q','books:q',0);
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
INSERT INTO "rating_outbox" VALUES('imp-d','{"impression_id": "imp-d", "shown": 2, "liked": 1, "disliked": 1, "contribution": -1}',0,'2026-12-02 13:29:04.282928',NULL);
CREATE TABLE recommendation_round (
	round_id VARCHAR(32) NOT NULL, 
	market_url VARCHAR NOT NULL, 
	epoch INTEGER NOT NULL, 
	blended_length INTEGER NOT NULL, 
	created_at DATETIME NOT NULL, 
	submitted_at DATETIME, 
	PRIMARY KEY (round_id)
);
INSERT INTO "recommendation_round" VALUES('r1','http://m',0,3,'2026-12-02 13:29:04.242569','2026-12-02 13:29:04.282928');
INSERT INTO "recommendation_round" VALUES('r2','http://m',1,3,'2026-12-02 13:29:04.314626',NULL);
CREATE TABLE round_vote (
	round_id VARCHAR(32) NOT NULL, 
	source VARCHAR NOT NULL, 
	item_id VARCHAR(128) NOT NULL, 
	vote VARCHAR(8) NOT NULL, 
	at DATETIME NOT NULL, 
	PRIMARY KEY (round_id, source, item_id)
);
INSERT INTO "round_vote" VALUES('r1','shop','x','like','2026-12-02 13:29:04.267180');
INSERT INTO "round_vote" VALUES('r1','shop','w','dislike','2026-12-02 13:29:04.275527');
CREATE TABLE setting (
	"key" VARCHAR(64) NOT NULL, 
	value VARCHAR NOT NULL, 
	PRIMARY KEY ("key")
);
CREATE INDEX ix_activity_event_category ON activity_event (category);
CREATE INDEX ix_impression_model_key ON impression (model_key);
CREATE INDEX ix_impression_round_id ON impression (round_id);
CREATE INDEX ix_data_use_at ON data_use (at);
CREATE INDEX ix_data_use_impression_id ON data_use (impression_id);
COMMIT;
