-- AlterEnum
ALTER TYPE "identity"."Provider" ADD VALUE 'oidc';

-- CreateTable
CREATE TABLE "identity"."SignInAttempt" (
    "stateHash" TEXT NOT NULL,
    "method" "identity"."Provider" NOT NULL,
    "bindingHash" TEXT NOT NULL,
    "codeVerifier" TEXT NOT NULL,
    "nonce" TEXT NOT NULL,
    "redirectUrl" TEXT NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "usedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SignInAttempt_pkey" PRIMARY KEY ("stateHash")
);

-- CreateIndex
CREATE INDEX "SignInAttempt_expiresAt_idx" ON "identity"."SignInAttempt"("expiresAt");

