-- The tables of a local tracker that was removed (issue 14): nothing reads or writes them.
DROP TABLE "forge"."LocalIssueComment";
DROP TABLE "forge"."LocalIssueRelation";
DROP TABLE "forge"."LocalIssue";
DROP TABLE "forge"."LocalProject";
