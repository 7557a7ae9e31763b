DROP INDEX changes_chain;
