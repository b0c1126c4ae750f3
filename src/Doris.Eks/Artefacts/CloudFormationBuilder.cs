using System.Text;
using System.Text.Json.Nodes;
using Doris.Eks.Blueprints;
using Doris.Eks.Planning;

namespace Doris.Eks.Artefacts;

/// <summary>
/// The AWS resources the cluster's tools need around it, as CloudFormation templates (<c>aws cloudformation
/// deploy</c>): NTH's queue with the EventBridge rules that feed it, and VPC endpoints for private nodes.
/// Intrinsics are written in their long form (<c>Ref</c>, <c>Fn::GetAtt</c>) so the templates are plain YAML.
/// </summary>
public static class CloudFormationBuilder
{
    /// <summary>The events NTH's queue mode handles (its README's list), each routed to the queue by one rule.</summary>
    public static readonly (string Name, string Source, string DetailType, JsonObject? Detail)[] TerminationEvents =
    [
        ("SpotInterruption", "aws.ec2", "EC2 Spot Instance Interruption Warning", null),
        ("RebalanceRecommendation", "aws.ec2", "EC2 Instance Rebalance Recommendation", null),
        ("InstanceStateChange", "aws.ec2", "EC2 Instance State-change Notification", null),
        ("ScheduledChange", "aws.health", "AWS Health Event", new JsonObject { ["service"] = Yaml.Strings(["EC2"]), ["eventTypeCategory"] = Yaml.Strings(["scheduledChange"]) }),
        ("AsgTermination", "aws.autoscaling", "EC2 Instance-terminate Lifecycle Action", null),
    ];

    public static JsonObject TerminationQueue(Blueprint b)
    {
        var resources = new JsonObject
        {
            ["Queue"] = new JsonObject
            {
                ["Type"] = "AWS::SQS::Queue",
                ["Properties"] = new JsonObject
                {
                    ["QueueName"] = IamBuilder.QueueName(b),
                    ["MessageRetentionPeriod"] = 300,

                    // SQS-managed encryption: EventBridge cannot deliver to a queue under the AWS-managed KMS key.
                    ["SqsManagedSseEnabled"] = true,
                },
            },
            ["QueuePolicy"] = new JsonObject
            {
                ["Type"] = "AWS::SQS::QueuePolicy",
                ["Properties"] = new JsonObject
                {
                    ["Queues"] = new JsonArray(Ref("Queue")),
                    ["PolicyDocument"] = new JsonObject
                    {
                        ["Version"] = "2012-10-17",
                        ["Statement"] = new JsonArray(new JsonObject
                        {
                            ["Effect"] = "Allow",
                            ["Principal"] = new JsonObject { ["Service"] = Yaml.Strings(["events.amazonaws.com", "sqs.amazonaws.com"]) },
                            ["Action"] = "sqs:SendMessage",
                            ["Resource"] = Arn("Queue"),
                        }),
                    },
                },
            },
        };
        foreach (var (name, source, detailType, detail) in TerminationEvents)
        {
            var pattern = new JsonObject { ["source"] = Yaml.Strings([source]), ["detail-type"] = Yaml.Strings([detailType]) };
            if (detail is not null)
            {
                pattern["detail"] = detail.DeepClone();
            }

            resources[name + "Rule"] = new JsonObject
            {
                ["Type"] = "AWS::Events::Rule",
                ["Properties"] = new JsonObject
                {
                    ["Description"] = $"{detailType} to aws-node-termination-handler ({b.Name})",
                    ["EventPattern"] = pattern,
                    ["Targets"] = new JsonArray(new JsonObject { ["Id"] = "node-termination-handler", ["Arn"] = Arn("Queue") }),
                },
            };
        }

        return new JsonObject
        {
            ["AWSTemplateFormatVersion"] = "2010-09-09",
            ["Description"] = $"aws-node-termination-handler queue mode for EKS cluster {b.Name}: the queue and the EventBridge rules that feed it",
            ["Resources"] = resources,
            ["Outputs"] = new JsonObject
            {
                ["QueueURL"] = new JsonObject { ["Description"] = "queueURL in node-termination-handler-values.yaml", ["Value"] = Ref("Queue") },
                ["QueueARN"] = new JsonObject { ["Value"] = Arn("Queue") },
            },
        };
    }

    /// <summary>The interface endpoints private nodes and the add-ons call (images, credentials, Auto Scaling, NTH's queue, logs, SSM).</summary>
    public static readonly string[] InterfaceEndpoints =
        ["ec2", "ecr.api", "ecr.dkr", "sts", "eks", "eks-auth", "logs", "sqs", "autoscaling", "elasticloadbalancing", "kms", "ssm", "ssmmessages", "ec2messages"];

    /// <summary>Endpoints for nodes without a NAT path; null when the blueprint names no VPC.</summary>
    public static JsonObject? VpcEndpoints(Blueprint b)
    {
        if (b.Vpc?.Id is not { } vpc)
        {
            return null;
        }

        var subnets = b.Vpc.Subnets ?? [];
        var resources = new JsonObject
        {
            ["EndpointSecurityGroup"] = new JsonObject
            {
                ["Type"] = "AWS::EC2::SecurityGroup",
                ["Properties"] = new JsonObject
                {
                    ["GroupDescription"] = $"HTTPS from the node subnets of {b.Name} to the VPC endpoints",
                    ["VpcId"] = vpc,
                    ["SecurityGroupIngress"] = new JsonArray([.. subnets.Select(s => (JsonNode?)new JsonObject { ["IpProtocol"] = "tcp", ["FromPort"] = 443, ["ToPort"] = 443, ["CidrIp"] = s.Cidr })]),
                },
            },
            ["S3Endpoint"] = new JsonObject
            {
                ["Type"] = "AWS::EC2::VPCEndpoint",
                ["Properties"] = new JsonObject
                {
                    ["VpcId"] = vpc,
                    ["ServiceName"] = $"com.amazonaws.{b.Region}.s3",
                    ["VpcEndpointType"] = "Gateway",
                    ["RouteTableIds"] = Ref("RouteTableIds"),
                },
            },
        };
        foreach (var service in InterfaceEndpoints)
        {
            resources[LogicalName(service) + "Endpoint"] = new JsonObject
            {
                ["Type"] = "AWS::EC2::VPCEndpoint",
                ["Properties"] = new JsonObject
                {
                    ["VpcId"] = vpc,
                    ["ServiceName"] = $"com.amazonaws.{b.Region}.{service}",
                    ["VpcEndpointType"] = "Interface",
                    ["PrivateDnsEnabled"] = true,
                    ["SubnetIds"] = Yaml.Strings(subnets.Select(s => s.Id!)),
                    ["SecurityGroupIds"] = new JsonArray(Ref("EndpointSecurityGroup")),
                },
            };
        }

        return new JsonObject
        {
            ["AWSTemplateFormatVersion"] = "2010-09-09",
            ["Description"] = $"VPC endpoints for the private nodes of EKS cluster {b.Name} (skip if the subnets route through a NAT gateway)",
            ["Parameters"] = new JsonObject { ["RouteTableIds"] = new JsonObject { ["Type"] = "List<String>", ["Description"] = "route tables of the node subnets (for the S3 gateway endpoint ECR layers come from)" } },
            ["Resources"] = resources,
        };
    }

    /// <summary>
    /// eksctl has no lifecycle-hook field: a script that adds NTH's termination hook to each group's ASG, found by
    /// the tags eksctl puts on it.
    /// </summary>
    public static string LifecycleHookScript(Blueprint b, IReadOnlyList<NodeGroupPlan> groups)
    {
        var text = new StringBuilder();
        text.Append("#!/bin/sh\n# NTH completes the termination lifecycle action after draining (ASG scale-in, AZ rebalancing).\nset -eu\n");
        text.Append("region=").Append(b.Region).Append("\ncluster=").Append(b.Name).Append('\n');
        foreach (var g in groups)
        {
            text.Append("asg=$(aws autoscaling describe-auto-scaling-groups --region \"$region\" --filters Name=tag:alpha.eksctl.io/cluster-name,Values=\"$cluster\" ")
                .Append("Name=tag:alpha.eksctl.io/nodegroup-name,Values=").Append(g.Name).Append(" --query 'AutoScalingGroups[0].AutoScalingGroupName' --output text)\n");
            text.Append("aws autoscaling put-lifecycle-hook --region \"$region\" --auto-scaling-group-name \"$asg\" --lifecycle-hook-name node-termination-handler ")
                .Append("--lifecycle-transition autoscaling:EC2_INSTANCE_TERMINATING --heartbeat-timeout ").Append(TerminationHandlerBuilder.LifecycleHeartbeatSeconds).Append(" --default-result CONTINUE\n");
        }

        return text.ToString();
    }

    private static string LogicalName(string service) =>
        string.Concat(service.Split('.', '-').Select(p => char.ToUpperInvariant(p[0]) + p[1..]));

    private static JsonObject Ref(string name) => new() { ["Ref"] = name };

    private static JsonObject Arn(string resource) => new() { ["Fn::GetAtt"] = Yaml.Strings([resource, "Arn"]) };
}
