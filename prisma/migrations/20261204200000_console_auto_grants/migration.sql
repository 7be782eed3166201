-- CreateTable
CREATE TABLE "console"."ConsoleAutoGrant" (
    "id" UUID NOT NULL,
    "domain" TEXT NOT NULL,
    "repo" TEXT NOT NULL DEFAULT '*',
    "role" "console"."ConsoleRole" NOT NULL DEFAULT 'viewer',
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ConsoleAutoGrant_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ConsoleAutoGrant_domain_repo_key" ON "console"."ConsoleAutoGrant"("domain", "repo");
