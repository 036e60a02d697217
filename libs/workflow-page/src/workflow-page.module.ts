import { Module } from '@nestjs/common';
import { WorkflowPageController } from './workflow-page.controller';
import { WorkflowPageService } from './workflow-page.service';

/** The signatory's signing page: server-rendered HTML, its assets and the pdf.js viewer files. */
@Module({
  controllers: [WorkflowPageController],
  providers: [WorkflowPageService],
})
export class WorkflowPageModule {}
