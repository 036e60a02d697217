import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Equals, IsString, Matches } from 'class-validator';

export class VerifyCodeRequest {
  @ApiProperty({ example: '123456', description: 'The 6-digit code the signatory received' })
  @IsString()
  @Matches(/^\d{6}$/, { message: 'code must be the 6 digits of the code that was sent' })
  code!: string;
}

export class SignRequest {
  @ApiProperty({ example: true, description: 'Must be literally `true`: the signatory agrees to sign the document they read' })
  @Equals(true, { message: 'consent must be true to sign' })
  consent!: boolean;
}

class WorkflowSignatoryView {
  @ApiProperty() uid!: string;
  @ApiProperty() firstname!: string;
  @ApiProperty() lastname!: string;
  @ApiProperty({ enum: ['FR', 'EN', 'DE', 'ES', 'IT'] }) language!: string;
  @ApiProperty({ enum: ['sms', 'email'] }) authentication!: string;
  @ApiProperty({ enum: ['simple', 'advanced'] }) signature_level!: string;
  @ApiProperty({ enum: ['created', 'identified', 'authenticated', 'signed'] }) status!: string;
  @ApiProperty({ example: '+33 6•• •• •1 33', description: 'Where codes are sent, masked' }) masked_destination!: string;
}

class WorkflowDocumentView {
  @ApiProperty({ nullable: true, type: String }) filename!: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Pages of the uploaded document' }) pages!: number | null;
  @ApiProperty({ nullable: true, enum: ['appended', 'in_evidence'] }) certificate_page!: string | null;
}

class WorkflowTransactionView {
  @ApiProperty({ nullable: true, type: String }) name!: string | null;
  @ApiProperty({ enum: ['created', 'sent', 'completed', 'cancel'] }) status!: string;
  @ApiProperty({ type: WorkflowDocumentView }) document!: WorkflowDocumentView;
}

class WorkflowBrandingView {
  @ApiProperty() display_name!: string;
  @ApiProperty({ nullable: true, type: String, example: '#0b5fff' }) primary_color!: string | null;
  @ApiProperty({ nullable: true, type: String }) logo_url!: string | null;
}

class WorkflowStepsView {
  @ApiProperty({ enum: ['done', 'current', 'pending', 'blocked'] }) identification!: string;
  @ApiProperty({ enum: ['done', 'current', 'pending', 'blocked'] }) authentication!: string;
  @ApiProperty({ enum: ['done', 'current', 'pending', 'blocked'] }) signature!: string;
}

class WorkflowOtpView {
  @ApiProperty({ enum: ['none', 'pending', 'expired', 'locked', 'verified'], description: 'State of the latest code' }) state!: string;
  @ApiProperty({ nullable: true, type: String }) expires_at!: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Wrong codes still accepted before the code locks' }) attempts_left!: number | null;
  @ApiProperty({ description: 'Seconds before another code may be requested; 0 when one may be requested now' }) cooldown_seconds!: number;
  @ApiProperty({ nullable: true, type: String, description: 'End of the signing window opened by the verified code' }) signing_expires_at!: string | null;
}

class WorkflowSignatureView {
  @ApiProperty({ enum: ['pending', 'in_progress', 'done'] }) state!: string;
  @ApiProperty({ nullable: true, type: String }) signed_at!: string | null;
}

export class WorkflowView {
  @ApiProperty({ type: WorkflowSignatoryView }) signatory!: WorkflowSignatoryView;
  @ApiProperty({ type: WorkflowTransactionView }) transaction!: WorkflowTransactionView;
  @ApiProperty({ type: WorkflowBrandingView }) branding!: WorkflowBrandingView;
  @ApiProperty({ type: WorkflowStepsView }) steps!: WorkflowStepsView;
  @ApiProperty({ type: WorkflowOtpView }) otp!: WorkflowOtpView;
  @ApiProperty({ type: WorkflowSignatureView }) signature!: WorkflowSignatureView;
  @ApiProperty({ example: '/api/v1/workflow/8a6ff96d-196f-40a4-80af-abe4f61f743b/document' }) document_url!: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'The document as this signatory left it; set once signed' })
  signed_document_url!: string | null;
}

export class CodeSentResponse {
  @ApiProperty({ enum: ['sms', 'email'] }) channel!: string;
  @ApiProperty({ example: 'j•••@example.com' }) masked_destination!: string;
  @ApiProperty() expires_at!: string;
  @ApiProperty({ example: 30, description: 'Seconds before another code may be requested' }) cooldown_seconds!: number;
}

export class CodeVerifiedResponse {
  @ApiProperty({ enum: ['authenticated'] }) status!: 'authenticated';
  @ApiProperty({ description: 'Signing is allowed until this time' }) signing_expires_at!: string;
}

export class SignAcceptedResponse {
  @ApiProperty({ enum: ['signing'] }) status!: 'signing';
}
